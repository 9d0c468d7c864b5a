import type { GpsFix } from '$lib/domain';

export type PositionStatus = 'locating' | 'fixed' | 'denied' | 'unavailable';

/** The person's position while a form is open: the latest fix, or why there is none. One per form. */
export class PositionWatch {
	#status = $state<PositionStatus>('locating');
	#fix = $state<GpsFix | null>(null);
	#watchId: number | null = null;

	get status(): PositionStatus {
		return this.#status;
	}

	get fix(): GpsFix | null {
		return this.#fix;
	}

	/** Starts watching; the fix sharpens as the GPS warms up, so later fixes replace earlier ones. */
	start(geolocation: Geolocation | undefined = navigator.geolocation): void {
		if (!geolocation) {
			this.#status = 'unavailable';
			return;
		}
		this.#watchId = geolocation.watchPosition(
			({ coords }) => {
				this.#fix = { lat: coords.latitude, lng: coords.longitude, accuracy: coords.accuracy };
				this.#status = 'fixed';
			},
			(error) => {
				if (error.code === error.PERMISSION_DENIED) {
					this.#fix = null;
					this.#status = 'denied';
				} else if (!this.#fix) {
					this.#status = 'unavailable';
				}
			},
			{ enableHighAccuracy: true, maximumAge: 30_000, timeout: 30_000 }
		);
	}

	stop(): void {
		if (this.#watchId !== null) navigator.geolocation?.clearWatch(this.#watchId);
		this.#watchId = null;
	}
}
