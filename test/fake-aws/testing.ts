/** Small helpers for tests that drive SDK clients against the fake. */

/** An SDK error as tests look at it: its name, message and response metadata. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };

/** The error a call rejects with; fails the test when the call succeeds instead. */
export async function rejection(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
