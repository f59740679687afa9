import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadline } from './deadline.js';

const never = () => new Promise<never>(() => {});

describe('deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles like the work when the work finishes first', async () => {
    const within = deadline(1000, 'the evaluation');
    await expect(within(Promise.resolve('report'))).resolves.toBe('report');
    await expect(within(Promise.reject(new Error('rule crashed')))).rejects.toThrow('rule crashed');
  });

  it('rejects with EVALUATION_TIMEOUT saying what did not finish, once the time has passed', async () => {
    const late = deadline(1000, 'the evaluation')(never());
    const settled = vi.fn();
    late.catch(settled);
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'EVALUATION_TIMEOUT',
        status: 503,
        message: 'the evaluation did not finish within 1000 ms',
      }),
    );
  });

  it('gives each piece of work its own full time, though they share one timer', async () => {
    const within = deadline(1000, 'the evaluation');
    const first = vi.fn();
    const second = vi.fn();
    const finishedEarly = within(Promise.resolve('done'));
    within(never()).catch(first);
    await vi.advanceTimersByTimeAsync(600);
    within(never()).catch(second);
    await expect(finishedEarly).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(400);
    expect(first).toHaveBeenCalledOnce();
    expect(second).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(599);
    expect(second).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toHaveBeenCalledOnce();
  });

  it('keeps the later deadlines when work settles after its own has passed, or out of order', async () => {
    const within = deadline(1000, 'the evaluation');
    let finishLate!: (value: string) => void;
    const late = within(new Promise<string>((resolve) => (finishLate = resolve)));
    late.catch(() => {});
    await vi.advanceTimersByTimeAsync(500);
    const timedOut = [vi.fn(), vi.fn(), vi.fn()];
    let finishMiddle!: (value: string) => void;
    within(never()).catch(timedOut[0]);
    const middle = within(new Promise<string>((resolve) => (finishMiddle = resolve)));
    within(never()).catch(timedOut[1]);
    await vi.advanceTimersByTimeAsync(500);
    await expect(late).rejects.toMatchObject({ code: 'EVALUATION_TIMEOUT' });
    finishLate('too late');
    finishMiddle('in time');
    await expect(middle).resolves.toBe('in time');
    within(never()).catch(timedOut[2]);
    await vi.advanceTimersByTimeAsync(500);
    expect(timedOut.map((f) => f.mock.calls.length)).toEqual([1, 1, 0]);
    await vi.advanceTimersByTimeAsync(500);
    expect(timedOut.map((f) => f.mock.calls.length)).toEqual([1, 1, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops its timer once nothing is pending (an idle server is not kept alive by it)', async () => {
    const within = deadline(1000, 'the evaluation');
    await within(Promise.resolve('done'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives work a signal that aborts, saying why, no later than its deadline', async () => {
    const within = deadline(1000, 'the evaluation');
    const first = within.signal();
    await vi.advanceTimersByTimeAsync(5);
    // Work started moments later shares the signal: it aborts a little before that work's deadline.
    expect(within.signal()).toBe(first);
    await vi.advanceTimersByTimeAsync(10);
    const later = within.signal();
    expect(later).not.toBe(first);
    await vi.advanceTimersByTimeAsync(984);
    expect(first.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.aborted).toBe(true);
    expect(first.reason).toMatchObject({
      code: 'EVALUATION_TIMEOUT',
      message: 'the evaluation did not finish within 1000 ms',
    });
    expect(later.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(15);
    expect(later.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
