export { isOpenAt, isOpenAtInZone, nextOpening } from './open.js';
export { availability, isAgentAvailable, type AvailabilityInput, type AgentAvailabilityInput } from './availability.js';
export { InvalidTimeZoneError, isValidZone, assertZone } from './zone.js';
