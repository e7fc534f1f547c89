import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
/** Per zone; enough for every minute anyone asks about in a busy day, small enough to forget. */
const OFFSET_CACHE_SIZE = 20_000;

export class InvalidTimeZoneError extends Error {
  readonly code = 'invalid_time_zone';
  constructor(readonly zone: string) {
    super(`"${String(zone).slice(0, 64)}" is not an IANA time zone (expected a name such as "Europe/Berlin")`);
    this.name = 'InvalidTimeZoneError';
  }
}

/**
 * An IANA zone whose UTC offsets are remembered per minute. Luxon asks Intl for each
 * offset (tens of µs), and schedule math asks for the same few instants over and over.
 * Offsets since 1970 change on whole minutes, so a per-minute cache is exact.
 */
class CachedZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const minute = Math.floor(ts / MINUTE_MS);
    let offset = this.offsets.get(minute);
    if (offset === undefined) {
      if (this.offsets.size >= OFFSET_CACHE_SIZE) this.offsets.clear();
      offset = super.offset(minute * MINUTE_MS);
      this.offsets.set(minute, offset);
    }
    return offset;
  }
}

/** Only valid names are remembered: the zone database bounds this map, whatever visitors send. */
const zones = new Map<string, CachedZone>();

/** True for IANA names the runtime's zone database knows ("Europe/Berlin", "UTC"); false for offsets like "+02:00". */
export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  if (zones.has(zone)) return true;
  // Luxon checks by building an Intl formatter: costly, hence the map.
  if (!IANAZone.isValidZone(zone)) return false;
  zones.set(zone, new CachedZone(zone));
  return true;
}

export function assertZone(zone: string): IANAZone {
  if (!isValidZone(zone)) throw new InvalidTimeZoneError(zone);
  return zones.get(zone)!;
}

/** UTC offset of zone at instant t, in ms (local wall time = t + offset). */
export function offsetMs(zone: IANAZone, t: number): number {
  return zone.offset(t) * MINUTE_MS;
}
