import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { DomainEvents1764000000000 } from './1764000000000-domain-events';
import { SendAttempts1764100000000 } from './1764100000000-send-attempts';
import { Routing1764200000000 } from './1764200000000-routing';
import { HostileInput1764300000000 } from './1764300000000-hostile-input';
import { ThreadOrder1764400000000 } from './1764400000000-thread-order';
import { InboxMembers1764500000000 } from './1764500000000-inbox-members';
import { Lifecycle1764600000000 } from './1764600000000-lifecycle';
import { ChannelAccounts1764800000000 } from './1764800000000-channel-accounts';
import { WorkingHours1764700000000 } from './1764700000000-working-hours';
import { PendingRevivals1765000000000 } from './1765000000000-pending-revivals';

/** Every migration, in order. Listed explicitly so the same list works from ts-jest and from the built dist/. */
export const migrations = [
  InitialSchema1763900000000,
  DomainEvents1764000000000,
  SendAttempts1764100000000,
  Routing1764200000000,
  HostileInput1764300000000,
  ThreadOrder1764400000000,
  InboxMembers1764500000000,
  Lifecycle1764600000000,
  ChannelAccounts1764800000000,
  WorkingHours1764700000000,
  PendingRevivals1765000000000,
];
