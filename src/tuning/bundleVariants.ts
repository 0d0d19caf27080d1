import { loadBundle, withHeldOut, type Bundle, type BundleVariant } from "./bundle.js";

/** Mechanism variants kept per executor or thread: a comparison's policies, and a few more. */
const KEEP = 8;

/**
 * One experiment's bundles: as loaded, and each variant a task asks for. A variant's overrides are
 * loaded once and kept (the last KEEP); picking its held-out scenarios costs nothing.
 */
export class BundleVariants {
  private readonly loaded = new Map<string, Bundle>();

  constructor(
    readonly path: string,
    readonly sets: readonly string[],
    /** The experiment as loaded, when the caller holds it already (else loaded on first use: a thread pool never needs it here). */
    private asLoaded: Bundle | null = null,
  ) {}

  get base(): Bundle {
    return (this.asLoaded ??= loadBundle(this.path, this.sets));
  }

  get(variant: BundleVariant | undefined): Bundle {
    if (variant === undefined) return this.base;
    return withHeldOut(this.withSets(variant.sets), variant.heldOut);
  }

  private withSets(sets: readonly string[]): Bundle {
    if (sets.length === 0) return this.base;
    return kept(this.loaded, JSON.stringify(sets), KEEP, () => loadBundle(this.path, [...this.sets, ...sets]));
  }
}

/** The value `map` keeps under `key`, else `make()`'s, then kept (the oldest forgotten beyond `keep`). */
export function kept<K, V>(map: Map<K, V>, key: K, keep: number, make: () => V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  const value = make();
  if (map.size >= keep) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}
