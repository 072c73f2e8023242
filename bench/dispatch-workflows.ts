/**
 * Minimal workflows for the dispatch benchmark (bench/dispatch.ts): the smallest code that runs a
 * chain or a fan-out of no-op activities, so what is measured is Temporal's dispatch path alone.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

interface NoOp {
  noop(): Promise<void>;
}

const options = { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } } as const;
const { noop } = proxyActivities<NoOp>(options);
const local = proxyLocalActivities<NoOp>(options);

export async function chain(length: number): Promise<void> {
  for (let i = 0; i < length; i++) await noop();
}

export async function localChain(length: number): Promise<void> {
  for (let i = 0; i < length; i++) await local.noop();
}

export async function fanOutIn(width: number): Promise<void> {
  await noop();
  await Promise.all(Array.from({ length: width }, () => noop()));
  await noop();
}
