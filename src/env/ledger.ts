/**
 * Token accounting of the protocol treasury. Every flow is recorded, so that
 * fees + issuance + slashed + registration fees = rewards paid + treasury change holds exactly (up to float rounding).
 */
export class Ledger {
  treasury = 0;
  initial = 0;
  fees = 0;
  issuance = 0;
  slashed = 0;
  registrationFees = 0;
  rewards = 0;

  reset(initialTreasury: number): void {
    this.treasury = this.initial = initialTreasury;
    this.fees = this.issuance = this.slashed = this.registrationFees = this.rewards = 0;
  }

  collectFees(amount: number): void {
    this.fees += amount;
    this.treasury += amount;
  }

  issue(amount: number): void {
    this.issuance += amount;
    this.treasury += amount;
  }

  collectSlash(amount: number): void {
    this.slashed += amount;
    this.treasury += amount;
  }

  collectRegistrationFee(amount: number): void {
    this.registrationFees += amount;
    this.treasury += amount;
  }

  payReward(amount: number): void {
    this.rewards += amount;
    this.treasury -= amount;
  }

  /** Inflows minus outflows minus the treasury's change: zero when every token is accounted for. */
  imbalance(): number {
    return this.fees + this.issuance + this.slashed + this.registrationFees - this.rewards - (this.treasury - this.initial);
  }
}
