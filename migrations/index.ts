import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

/** Every migration, in order. Listed explicitly so the same list works from ts-jest and from the built dist/. */
export const migrations = [InitialSchema1763900000000];
