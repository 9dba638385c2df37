import { randomUUID } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so throttling and IDs repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

/** Generates IDs in the formats AWS uses, from a seeded PRNG so a run's IDs are reproducible. */
export class Ids {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  private chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet.charAt(Math.floor(this.random() * alphabet.length));
    return out;
  }

  /** IAM unique IDs: a four-letter prefix (AROA role, AIPA instance profile, ANPA policy, AIDA user) + 17. */
  iam(prefix: 'AROA' | 'AIPA' | 'ANPA' | 'AIDA'): string {
    return prefix + this.chars(UPPER_ALNUM, 17);
  }

  /** EC2 resource IDs: `i-`, `iip-assoc-`, `r-`, `lt-` … followed by 17 hex digits. */
  ec2(prefix: string): string {
    return `${prefix}-${this.chars(HEX, 17)}`;
  }

  /** CodeDeploy deployment IDs: `d-` and nine upper-case letters or digits. */
  deployment(): string {
    return `d-${this.chars(UPPER_ALNUM, 9)}`;
  }

  uuid(): string {
    const hex = this.chars(HEX, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

/** Request IDs need not repeat between runs, and must not disturb the seeded sequence. */
export function requestId(): string {
  return randomUUID();
}

/** The fake clock: real time plus an offset tests can move forward. */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
