import type { Clock } from '../sync/environment';

interface Timer {
	at: number;
	delay: number;
	callback: () => void;
}

/** A clock that moves only when a test says so; timers fire during `advance`. */
export class ManualClock implements Clock {
	#now = Date.parse('2026-03-02T09:30:00.000Z');
	#timers = new Map<number, Timer>();
	#nextHandle = 1;

	now(): number {
		return this.#now;
	}

	setTimeout(callback: () => void, ms: number): unknown {
		const handle = this.#nextHandle++;
		this.#timers.set(handle, { at: this.#now + ms, delay: ms, callback });
		return handle;
	}

	clearTimeout(handle: unknown): void {
		this.#timers.delete(handle as number);
	}

	/** The delays the timers still set were scheduled with. */
	get pendingDelays(): number[] {
		return [...this.#timers.values()].map((timer) => timer.delay);
	}

	advance(ms: number): void {
		this.#now += ms;
		const due = [...this.#timers].filter(([, timer]) => timer.at <= this.#now);
		for (const [handle, timer] of due.sort(([, a], [, b]) => a.at - b.at)) {
			this.#timers.delete(handle);
			timer.callback();
		}
	}
}
