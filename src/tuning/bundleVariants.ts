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
    const key = JSON.stringify(sets);
    const known = this.loaded.get(key);
    if (known) return known;
    const bundle = loadBundle(this.path, [...this.sets, ...sets]);
    if (this.loaded.size >= KEEP) this.loaded.delete(this.loaded.keys().next().value!);
    this.loaded.set(key, bundle);
    return bundle;
  }
}
