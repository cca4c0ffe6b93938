import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ActivityService } from '../activity/activity.service';
import type { AgentService } from '../agents/agent.service';
import type { InboxRoutingService } from '../assignment/inbox-routing.service';
import type { TeamService } from '../agents/team.service';
import type { AuthService } from '../auth/auth.service';
import type { AutoReplySettingsService } from '../auto-replies/auto-reply-settings.service';
import type { ChannelService } from '../channels/channel.service';
import type { InboxMembersService } from '../channels/inbox-members.service';
import type { Config } from '../config/config';
import type { ConversationService } from '../conversations/conversation.service';
import type { HoldTransferService } from '../lifecycle/hold-transfer.service';
import type { LifecycleSettingsService } from '../lifecycle/lifecycle-settings.service';
import type { Logger } from '../logging/logger';
import type { MediaUrlSigner } from '../media/signed-url';
import type { FileStore } from '../media/upload-store';
import type { MessageService } from '../messages/message.service';
import type { Queues } from '../queues/queues';
import type { WorkingHoursService } from '../working-hours/working-hours.service';

/** What the HTTP layer is given: the domain services of one process (built in src/app). */
export interface HttpContext {
  config: Config;
  logger: Logger;
  ds: DataSource;
  /** A general-purpose Redis connection (session states, commands). */
  redis: Redis;
  queues: Queues;
  channels: ChannelService;
  auth: AuthService;
  agents: AgentService;
  teams: TeamService;
  inboxMembers: InboxMembersService;
  conversations: ConversationService;
  inboxRouting: InboxRoutingService;
  workingHours: WorkingHoursService;
  autoReplySettings: AutoReplySettingsService;
  messages: MessageService;
  holdTransfer: HoldTransferService;
  activity: ActivityService;
  lifecycleSettings: LifecycleSettingsService;
  uploads: FileStore;
  mediaCache: FileStore;
  mediaUrls: MediaUrlSigner;
  /** True while Redis answers: the health check reports it. */
  redisReady(): boolean;
}
