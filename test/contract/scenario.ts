/**
 * The contract scenario: one sequence of SDK calls, the ones cd-wizard's setup, fix and teardown depend on, run
 * in order against a server (the fake or moto). Each step says what of the answer cd-wizard reads (its view),
 * and where moto is known to differ from AWS, what AWS's documentation says instead.
 */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { errorOutcome, normalise, shapeOf, type Outcome, type Shape } from './outcome.js';

export interface Clients {
  sts: STSClient;
  iam: IAMClient;
  ec2: EC2Client;
  s3: S3Client;
  codeDeploy: CodeDeployClient;
  autoScaling: AutoScalingClient;
}

/** What the scenario starts from on one server: two running instances made there (ids differ per server). */
export interface World {
  instances: readonly [string, string];
}

export interface Step {
  name: string;
  run(clients: Clients, world: World): Promise<unknown>;
  /** The parts of a successful answer cd-wizard reads; compared after normalising ids and times. */
  view(output: unknown, world: World): unknown;
  /** Paths the fake sends and moto leaves out although AWS documents them (see each step's comment). */
  motoOmits: readonly RegExp[];
  /**
   * moto answers differently from what AWS documents: the fake is held to `aws` instead, and moto's answer
   * is not compared. `why` names the documentation that decides.
   */
  motoGap?: { aws: Outcome; why: string };
}

export interface StepOptions<T> {
  view?: (output: T, world: World) => unknown;
  motoOmits?: readonly RegExp[];
  motoGap?: { aws: Outcome; why: string };
}

/** A step whose view is typed by its call's output. Without a view, only success (and the shape) is compared. */
export function step<T>(name: string, run: (clients: Clients, world: World) => Promise<T>, options: StepOptions<T> = {}): Step {
  return {
    name,
    run,
    view: (output, world) => (options.view ? options.view(output as T, world) : {}),
    motoOmits: options.motoOmits ?? [],
    ...(options.motoGap === undefined ? {} : { motoGap: options.motoGap }),
  };
}

/** A step expected to fail on AWS; its outcome is the error code and status. */
export const failing = (name: string, run: (clients: Clients, world: World) => Promise<unknown>, motoGap?: { aws: Outcome; why: string }): Step =>
  step(name, run, motoGap === undefined ? {} : { motoGap });

export interface Observed {
  outcome: Outcome;
  /** The shape of the whole answer (successes only). */
  shape: Shape;
}

/** Runs every step in order; a step's failure is recorded, not thrown, so later steps still run. */
export async function runScenario(steps: readonly Step[], clients: Clients, world: World): Promise<Map<string, Observed>> {
  const observed = new Map<string, Observed>();
  for (const one of steps) {
    try {
      const output = await one.run(clients, world);
      observed.set(one.name, { outcome: { ok: normalise(one.view(output, world), world.instances) }, shape: shapeOf(output) });
    } catch (error) {
      observed.set(one.name, { outcome: errorOutcome(error), shape: {} });
    }
  }
  return observed;
}
