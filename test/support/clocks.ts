import { admin } from './sandbox';

/** Every timer stays real: only `Date` is faked, so that the node reads the host's clock. */
const REAL_TIMERS = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;

const MINUTE = 60_000;

/**
 * Chorus Pro's clock (the sandbox's) and the n8n host's (the `Date` the node reads), moved
 * together, `skewMinutes` apart (> 0: the host is ahead). Call `jest.useRealTimers()` after.
 */
export class Clocks {
	private chorus = 0;

	constructor(private readonly skewMinutes = 0) {}

	/** Sets Chorus Pro's clock to `iso` and the host's to `iso` + skew. */
	async start(iso: string) {
		jest.useFakeTimers({ doNotFake: [...REAL_TIMERS] });
		const { now } = await admin<{ now: string }>('/clock');
		this.chorus = Date.parse(iso);
		await admin('/clock', { advanceSeconds: (this.chorus - Date.parse(now)) / 1000 });
		jest.setSystemTime(this.chorus + this.skewMinutes * MINUTE);
	}

	async advance(minutes: number) {
		await this.advanceSeconds(minutes * 60);
	}

	async advanceSeconds(seconds: number) {
		this.chorus += seconds * 1000;
		await admin('/clock', { advanceSeconds: seconds });
		jest.setSystemTime(this.chorus + this.skewMinutes * MINUTE);
	}
}
