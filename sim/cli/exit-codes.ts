/** The exit codes of every storsim command. */
export const ExitCode = {
  /** Everything ran and passed. */
  OK: 0,
  /** A run failed (threw), or a check or validation did not pass. */
  FAILED: 1,
  /** Bad input: an invalid scenario, option or argument. Nothing was written. */
  BAD_INPUT: 2,
} as const;
