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

  it('stops its timer once nothing is pending (an idle server is not kept alive by it)', async () => {
    const within = deadline(1000, 'the evaluation');
    await within(Promise.resolve('done'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
