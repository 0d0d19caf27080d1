import { boosterShares, nextBoosterScore, type BoosterConfig } from "../mechanism/booster.js";

/**
 * aztec-current's epoch accounting: how many blocks each epoch has, how many of them each prover
 * proved in time, and the epoch's prover pool, kept in rings over the open proof windows.
 */
export class EpochShareBook {
  private readonly blocks: Float64Array;
  private readonly pools: Float64Array;
  private readonly done: Float64Array;

  constructor(
    private readonly n: number,
    proofWindowEpochs: number,
  ) {
    const ring = proofWindowEpochs + 2;
    this.blocks = new Float64Array(ring);
    this.pools = new Float64Array(ring);
    this.done = new Float64Array(n * ring);
  }

  reset(): void {
    this.blocks.fill(0);
    this.pools.fill(0);
    this.done.fill(0);
  }

  recordBlock(epoch: number, poolUsd: number): void {
    const r = epoch % this.blocks.length;
    this.blocks[r]! += 1;
    this.pools[r]! += poolUsd;
  }

  recordProof(prover: number, epoch: number, blocks: number): void {
    this.done[(epoch % this.blocks.length) * this.n + prover]! += blocks;
  }

  /**
   * Closes an epoch at its deadline: every prover's booster score moves (up if it proved all the
   * epoch's blocks in time), `shares` receives each such prover's booster shares (0 for the others),
   * and the epoch's pool (its fee share plus `issuanceUsd`) is returned.
   */
  settle(epoch: number, issuanceUsd: number, booster: BoosterConfig, scores: Float64Array, shares: Float64Array): number {
    const r = epoch % this.blocks.length;
    const blocks = this.blocks[r]!;
    const pool = this.pools[r]! + issuanceUsd;
    for (let i = 0; i < this.n; i++) {
      const proved = blocks > 0 && this.done[r * this.n + i]! >= blocks;
      scores[i] = nextBoosterScore(scores[i]!, proved, booster);
      shares[i] = proved ? boosterShares(scores[i]!, booster) : 0;
      this.done[r * this.n + i] = 0;
    }
    this.blocks[r] = 0;
    this.pools[r] = 0;
    return pool;
  }
}
