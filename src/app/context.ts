import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { AgentService } from '../agents/agent.service';
import type { AuthService } from '../auth/auth.service';
import type { ChannelService } from '../channels/channel.service';
import type { Config } from '../config/config';
import type { ConversationService } from '../inbox/conversation.service';
import type { MessageService } from '../inbox/message.service';
import type { Logger } from '../logging/logger';
import type { MediaUrlSigner } from '../media/signed-url';
import type { FileStore } from '../media/upload-store';
import type { Queues } from '../queues/queues';
import type { EventPublisher } from '../realtime/event-publisher';

/** The services of one process, built once in parley.ts and handed to the HTTP routes and workers. */
export interface AppContext {
  config: Config;
  logger: Logger;
  ds: DataSource;
  /** A general-purpose Redis connection (session states, commands). */
  redis: Redis;
  queues: Queues;
  events: EventPublisher;
  channels: ChannelService;
  auth: AuthService;
  agents: AgentService;
  conversations: ConversationService;
  messages: MessageService;
  uploads: FileStore;
  mediaCache: FileStore;
  mediaUrls: MediaUrlSigner;
  /** True while Redis answers: the health check reports it. */
  redisReady(): boolean;
}
