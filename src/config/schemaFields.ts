import { z } from "zod";

/** The most episodes per scenario any split, audit or flag asks for. */
export const MAX_SEEDS = 1000;

/** Number kinds the experiment schema and its fragments (next to the components they configure) share. */
export const positive = () => z.number().positive();
export const nonNegative = () => z.number().nonnegative();
export const share = () => z.number().min(0).max(1);
