/** Tests only: asserts that `run` fails with a GanforgeError GF_DATA whose message matches every pattern. */
import { expect } from 'vitest';
import { isGanforgeError } from '../errors.js';

export async function expectDataError(run: () => unknown, ...messages: RegExp[]): Promise<void> {
  try {
    await run();
    expect.unreachable('should have thrown');
  } catch (error) {
    expect(isGanforgeError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('GF_DATA');
    for (const m of messages) expect((error as Error).message).toMatch(m);
  }
}
