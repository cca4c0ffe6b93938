import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Conversation, Message } from '../database/entities';
import { conversationView, messageView } from '../inbox/serializers';
import { conversationRooms } from './audience';

export type RealtimeEvent = 'message.created' | 'message.updated' | 'conversation.created' | 'conversation.updated' | 'contact.updated';

/**
 * Publishes domain events to agents' browsers from any process (API or worker) through the socket.io Redis
 * emitter; the API processes' Redis adapter delivers them to the sockets in the named rooms.
 */
export class EventPublisher {
  private readonly emitter: Emitter;

  constructor(redis: Redis, key: string) {
    this.emitter = new Emitter(redis, { key });
  }

  messageCreated(message: Message, conversation: Conversation): void {
    this.emit('message.created', conversationRooms(conversation), { message: messageView(message) });
  }

  messageUpdated(message: Message, conversation: Conversation): void {
    this.emit('message.updated', conversationRooms(conversation), { message: messageView(message) });
  }

  conversationCreated(conversation: Conversation): void {
    this.emit('conversation.created', conversationRooms(conversation), { conversation: conversationView(conversation) });
  }

  conversationUpdated(conversation: Conversation, previousAssigneeId?: string | null): void {
    this.emit('conversation.updated', conversationRooms(conversation, previousAssigneeId), { conversation: conversationView(conversation) });
  }

  private emit(event: RealtimeEvent, rooms: string[], payload: unknown): void {
    this.emitter.to(rooms).emit(event, payload);
  }
}

/** The one Redis key namespace socket.io's adapter and emitter share. */
export function socketKey(prefix: string): string {
  return `${prefix}:socket.io`;
}
