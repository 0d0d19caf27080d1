import { defaultParams } from "../../src/config/paramSpace.js";
import { toMechanismParams, type MechanismParams } from "../../src/mechanism/params.js";

/** Typed mechanism parameters: the table's defaults with each layer of overrides applied in turn. */
export function mechanismParams(...layers: Record<string, number>[]): MechanismParams {
  return toMechanismParams(Object.assign(defaultParams(), ...layers));
}

/** A params(overrides) function for a test file whose cases share the `base` overrides. */
export function paramsWith(base: Record<string, number>): (overrides?: Record<string, number>) => MechanismParams {
  return (overrides = {}) => mechanismParams(base, overrides);
}
