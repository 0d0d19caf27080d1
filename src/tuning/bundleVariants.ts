import { loadBundle, loadVariant, type Bundle, type BundleVariant } from "./bundle.js";

/** Variants kept per executor or thread: a comparison's policies, and a few more. */
const KEEP = 8;

/** One experiment's bundles: as loaded, and each variant a task asks for, loaded once and kept (the last KEEP). */
export class BundleVariants {
  private readonly variants = new Map<string, Bundle>();

  constructor(
    readonly path: string,
    readonly sets: readonly string[],
    readonly base: Bundle = loadBundle(path, sets),
  ) {}

  get(variant: BundleVariant | undefined): Bundle {
    if (variant === undefined) return this.base;
    const key = JSON.stringify([variant.sets, variant.heldOut]);
    const known = this.variants.get(key);
    if (known) return known;
    const bundle = loadVariant(this.path, this.sets, variant);
    if (this.variants.size >= KEEP) this.variants.delete(this.variants.keys().next().value!);
    this.variants.set(key, bundle);
    return bundle;
  }
}
