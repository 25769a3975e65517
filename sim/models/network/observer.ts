/**
 * The hook through which checkers and tests watch a network without changing it. Observers are
 * called synchronously from inside the network; they must only read (never start, cancel or
 * schedule anything), so a run with observers is the same run as one without.
 */
import type { Flow } from './flow.ts';
import type { Network } from './network.ts';

export interface NetworkObserver {
  /** A flow was created by `transfer` (status `Latent`, or `Failed` when its route is already down in fail mode). */
  onFlowStart?(flow: Flow): void;
  /**
   * `bytes` (> 0) more of the flow were delivered since its last progress report; they crossed
   * every channel of `flow.route.channels`. Reported whenever the network advances its flows.
   */
  onFlowProgress?(flow: Flow, bytes: number): void;
  /** The flow completed, failed or was cancelled (`flow.status` says which). */
  onFlowEnd?(flow: Flow): void;
  /** Rates were recomputed; `network.activeFlows()` holds the active flows with their new rates. */
  onRatesChanged?(network: Network): void;
}
