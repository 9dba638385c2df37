import { seededRandom } from './random.js';
import type { ServiceName } from './service.js';

/** An error returned instead of running an operation (e.g. AccessDenied on CreateRole). */
export interface InjectedError {
  service?: ServiceName;
  action?: string;
  code: string;
  /** Defaults to 400. */
  status?: number;
  message?: string;
  /** How many matching calls fail; omitted means every one. */
  times?: number;
}

export interface Faults {
  /** Delay before every response, in real milliseconds. */
  latencyMs: number;
  /** Per-service delay, added to latencyMs. */
  serviceLatencyMs: Partial<Record<ServiceName, number>>;
  /** Share of calls (0–1) answered with the service's throttling error, drawn from a PRNG seeded by throttlingSeed. */
  throttlingRate: number;
  throttlingSeed: number;
  /** Services whose calls may be throttled; empty means all. */
  throttleServices: ServiceName[];
  /** How long a new role (or trust-policy change) and a new instance profile stay invisible to CodeDeploy and EC2. */
  iamPropagationSeconds: number;
  /**
   * How CodeDeploy words a service role it cannot assume (not there, not trusting it, or not propagated yet):
   * 'cannot-assume' is "Cannot assume role provided.", 'permissions-required' is "AWS CodeDeploy does not have the
   * permissions required to assume the role <arn>". AWS answers both.
   */
  invalidRoleWording: InvalidRoleWording;
  /** Destroy the socket of the call after the next N calls, once; null when off. */
  dropConnectionAfter: number | null;
  errors: InjectedError[];
  /** How long after SendCommand GetCommandInvocation still answers InvocationDoesNotExist (as real SSM briefly does). */
  ssmInvocationDelayMs: number;
}

export type InvalidRoleWording = 'cannot-assume' | 'permissions-required';

export type FaultsInput = Partial<Faults>;

export function defaultFaults(): Faults {
  return {
    latencyMs: 0,
    serviceLatencyMs: {},
    throttlingRate: 0,
    throttlingSeed: 1,
    throttleServices: [],
    iamPropagationSeconds: 0,
    invalidRoleWording: 'cannot-assume',
    dropConnectionAfter: null,
    errors: [],
    ssmInvocationDelayMs: 0,
  };
}

/** Holds the current faults and the counters and PRNG that make them deterministic. */
export class FaultController {
  private current: Faults = defaultFaults();
  private random: () => number = seededRandom(1);
  /** The index (in the call log) of the call whose connection is dropped. */
  private dropAt: number | null = null;
  private readonly remaining = new Map<InjectedError, number>();

  get faults(): Readonly<Faults> {
    return this.current;
  }

  /** Merges `input` into the current faults. `callCount` anchors dropConnectionAfter to "from now". */
  set(input: FaultsInput, callCount: number): void {
    const next: Faults = { ...this.current, ...input };
    validateFaults(next);
    if (input.throttlingSeed !== undefined || input.throttlingRate !== undefined) this.random = seededRandom(next.throttlingSeed);
    if (input.dropConnectionAfter !== undefined) {
      this.dropAt = input.dropConnectionAfter === null ? null : callCount + input.dropConnectionAfter;
    }
    if (input.errors !== undefined) {
      this.remaining.clear();
      for (const error of next.errors) if (error.times !== undefined) this.remaining.set(error, error.times);
    }
    this.current = next;
  }

  reset(initial: FaultsInput): void {
    this.current = defaultFaults();
    this.random = seededRandom(1);
    this.dropAt = null;
    this.remaining.clear();
    this.set(initial, 0);
  }

  latencyFor(service: ServiceName): number {
    return this.current.latencyMs + (this.current.serviceLatencyMs[service] ?? 0);
  }

  /** Whether the call at `index` in the log loses its connection (once). */
  takeDrop(index: number): boolean {
    if (this.dropAt === null || index < this.dropAt) return false;
    this.dropAt = null;
    this.current = { ...this.current, dropConnectionAfter: null };
    return true;
  }

  shouldThrottle(service: ServiceName): boolean {
    const { throttlingRate, throttleServices } = this.current;
    if (throttlingRate <= 0) return false;
    if (throttleServices.length > 0 && !throttleServices.includes(service)) return false;
    return this.random() < throttlingRate;
  }

  takeInjectedError(service: ServiceName, action: string): InjectedError | undefined {
    for (const error of this.current.errors) {
      if (error.service !== undefined && error.service !== service) continue;
      if (error.action !== undefined && error.action !== action) continue;
      const left = this.remaining.get(error);
      if (left === undefined) return error;
      if (left <= 0) continue;
      this.remaining.set(error, left - 1);
      return error;
    }
    return undefined;
  }
}

function validateFaults(faults: Faults): void {
  const problems: string[] = [];
  if (!(faults.throttlingRate >= 0 && faults.throttlingRate <= 1)) problems.push('throttlingRate must be between 0 and 1');
  if (!(faults.latencyMs >= 0)) problems.push('latencyMs must be 0 or more');
  if (!(faults.iamPropagationSeconds >= 0)) problems.push('iamPropagationSeconds must be 0 or more');
  if (faults.invalidRoleWording !== 'cannot-assume' && faults.invalidRoleWording !== 'permissions-required') {
    problems.push("invalidRoleWording must be 'cannot-assume' or 'permissions-required'");
  }
  if (faults.dropConnectionAfter !== null && !(Number.isInteger(faults.dropConnectionAfter) && faults.dropConnectionAfter >= 0)) {
    problems.push('dropConnectionAfter must be a whole number of calls, or null');
  }
  if (!Array.isArray(faults.errors) || faults.errors.some((error) => typeof error.code !== 'string')) {
    problems.push('errors must be a list of {service?, action?, code, status?, message?, times?}');
  }
  if (problems.length > 0) throw new Error(`Invalid faults: ${problems.join('; ')}`);
}
