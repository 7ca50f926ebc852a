// One Actor for every folder: booking's callers import it from here for brevity.
export type { Actor } from '../platform/actor.js';
