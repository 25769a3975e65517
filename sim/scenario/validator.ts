/**
 * Schema validation of scenario files with ajv (draft 2020-12), collecting every issue.
 * storsim adds one keyword, `unitKind`, that checks a quantity string through the unit
 * parser, so a wrong unit is reported with its JSON path like any other schema error.
 */
import type { ErrorObject } from 'ajv';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import type { ComponentType } from './component-type.ts';
import { COMPONENT_TYPES } from './components/index.ts';
import { ajvErrorsToIssues, type Locate, type ScenarioIssue } from './errors.ts';
import { scenarioSchema } from './schema.ts';
import { UnitError, type QuantityKind, type UnitParser } from './units.ts';

export interface ScenarioValidator {
  /** Every schema issue in `value` (empty when valid). */
  check(value: unknown, file: string, locate?: Locate): ScenarioIssue[];
  readonly componentTypes: readonly ComponentType[];
}

/** Compiles the scenario schema once; ajv is imported here, lazily, to keep CLI start-up fast. */
export async function createValidator(units: UnitParser): Promise<ScenarioValidator> {
  // ajv is CommonJS: its class is both `module.exports` and `module.exports.default`.
  const Ajv2020 = (await import('ajv/dist/2020.js')).default.default;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({
    keyword: 'unitKind',
    type: 'string',
    schemaType: 'string',
    errors: true,
    validate: function unitKind(kind: QuantityKind, data: string): boolean {
      try {
        units.parse(data, kind);
        return true;
      } catch (error) {
        if (!(error instanceof UnitError)) throw error;
        (unitKind as { errors?: Partial<ErrorObject>[] }).errors = [
          { keyword: 'unitKind', message: error.message, params: { unitKind: kind } },
        ];
        return false;
      }
    },
  });
  const validate = ajv.compile(scenarioSchema(COMPONENT_TYPES, BUILT_IN_POLICIES));
  return {
    componentTypes: COMPONENT_TYPES,
    check(value, file, locate) {
      if (validate(value)) return [];
      // An unknown tag is already reported by the tag's own `enum`, with the allowed values.
      const errors = (validate.errors ?? []).filter((e: ErrorObject) => !(e.keyword === 'discriminator' && e.params['error'] === 'mapping'));
      return ajvErrorsToIssues(errors, file, locate);
    },
  };
}
