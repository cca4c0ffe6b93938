import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { In, type EntityManager } from 'typeorm';
import { Agent, Channel, Contact, ContactIdentity, Conversation, ConversationActivity, Message, Team } from '../database/entities';
import type { DomainEvent, EventListener } from '../events/domain-events';
import { activityView, agentView, contactView, conversationView, messageView } from '../http/views';
import { readViewer } from '../auth/auth.service';
import { inboxesByAgent } from '../channels/inbox-members.service';
import { conversationRooms, noteRooms, possibleViewerRooms, ROOMS, viewerRooms } from './rooms';

/** What agents' browsers receive. */
export type RealtimeEvent =
  | 'message.created'
  | 'message.updated'
  | 'conversation.created'
  | 'conversation.updated'
  | 'contact.updated'
  /** `{ activity }`: an entry in a conversation's thread (assignment, transfer, hold, status); a transfer's note only to its readers. */
  | 'activity.created'
  /**
   * `{ reason }`: the socket's token was revoked (`logout`, `password_changed`, `password_reset`) or expired
   * (`expired`, sent by the API process holding the socket), or its agent disabled; the server disconnects it right after.
   */
  | 'session.ended'
  /** `{ reason, role, teamIds, inboxIds }`: the agent's role, teams or inboxes changed; the socket's rooms were recomputed. */
  | 'session.updated'
  /** `{ agent }`: the agent themself as GET /me shows them, to their own sockets, after their availability was set (by them or an admin). */
  | 'agent.updated';

/**
 * Domain events to agents' browsers, from whichever process relays them, through the socket.io Redis
 * emitter; the API processes' Redis adapter delivers them to the sockets in the named rooms. Payloads are the
 * records as they are now (read for the whole batch at once): a client that reconnects catches up over REST.
 */
export class RealtimeListener implements EventListener {
  readonly name = 'realtime';
  private readonly emitter: Emitter;

  constructor(redis: Redis, key: string) {
    this.emitter = new Emitter(redis, { key });
  }

  async handle(events: DomainEvent[], reader: EntityManager): Promise<void> {
    const rows = await this.load(events, reader);
    // Every inbox and team, read once per batch and only if someone's access changed.
    let all: Promise<{ inboxIds: string[]; teamIds: string[] }> | undefined;
    const everything = () =>
      (all ??= Promise.all([reader.find(Channel, { select: { id: true } }), reader.find(Team, { select: { id: true } })]).then(([channels, teams]) => ({
        inboxIds: channels.map((c) => c.id),
        teamIds: teams.map((t) => t.id),
      })));
    for (const e of events) {
      const conversation = e.conversationId ? rows.conversations.get(e.conversationId) : undefined;
      switch (e.type) {
        case 'message.received':
        case 'message.created':
        case 'message.edited':
        case 'message.status_changed':
        case 'message.retried': {
          const message = rows.messages.get(e.data.messageId);
          if (!message || !conversation) break;
          const name = e.type === 'message.received' || e.type === 'message.created' ? 'message.created' : 'message.updated';
          this.emit(name, conversationRooms(conversation), { message: messageView(message) });
          break;
        }
        case 'conversation.created':
          if (conversation) this.emit('conversation.created', conversationRooms(conversation), { conversation: conversationView(conversation) });
          break;
        case 'conversation.status_changed':
          if (conversation) this.emit('conversation.updated', conversationRooms(conversation), { conversation: conversationView(conversation) });
          break;
        case 'conversation.assigned':
          // The agent who lost the conversation is told too.
          if (conversation)
            this.emit('conversation.updated', conversationRooms(conversation, e.data.previousAssigneeId), { conversation: conversationView(conversation) });
          break;
        case 'contact.updated':
        case 'contact.merged': {
          const contact = rows.contacts.get(e.data.contactId);
          if (!contact) break;
          // Whoever may see one of the person's conversations may see the person.
          const rooms = new Set([ROOMS.admins, ...rows.conversationsOf(contact.id).flatMap((c) => conversationRooms(c))]);
          this.emit('contact.updated', [...rooms], { contact: contactView(contact, rows.identitiesOf(contact.id)) });
          break;
        }
        case 'conversation.held':
          if (conversation) this.emit('conversation.updated', conversationRooms(conversation), { conversation: conversationView(conversation) });
          break;
        case 'token.revoked':
          this.endSessions(ROOMS.token(e.data.tokenId), e.data.reason);
          break;
        case 'agent.access_changed':
          await this.accessChanged(e.data.agentId, e.data.reason, reader, everything);
          break;
        case 'inbox.members_changed':
          for (const agentId of e.data.agentIds) await this.accessChanged(agentId, 'inboxes_changed', reader, everything);
          break;
        case 'agent.availability_changed':
          // Presence coming and going changes nothing the agent's record shows.
          if (e.data.reason === 'availability') await this.agentUpdated(e.data.agentId, reader);
          break;
      }
      const activity = rows.activities.get(e.id);
      if (activity && conversation) this.emitActivity(activity, conversation);
    }
  }

  /**
   * An activity entry goes to whoever may see the conversation (and an agent it was taken from); a note goes
   * only to its readers (noteRooms), everyone else gets the entry without it.
   */
  private emitActivity(a: ConversationActivity, conversation: Conversation): void {
    const rooms = conversationRooms(conversation, a.data.fromAgentId);
    if (!a.data.note) {
      this.emit('activity.created', rooms, { activity: activityView(a) });
      return;
    }
    const readers = noteRooms(conversation.channelId, a);
    this.emitter.to(readers).emit('activity.created', { activity: activityView(a) });
    this.emitter
      .to(rooms)
      .except(readers)
      .emit('activity.created', { activity: activityView({ ...a, data: { ...a.data, note: null } }) });
  }

  /**
   * Sockets in `room`, in every API process, are told why and disconnected (the server's disconnect: a
   * socket.io client does not reconnect by itself after it). The two go out in this order on one Redis
   * connection, so the notice arrives first.
   */
  private endSessions(room: string, reason: string): void {
    this.emitter.to(room).emit('session.ended', { reason });
    this.emitter.in(room).disconnectSockets(false);
  }

  /**
   * An agent's access changed: read as it is now (a batch may hold several changes; the last state wins). A
   * disabled agent's sockets are ended; otherwise they leave every room the agent may no longer be in and join
   * the ones they now belong to.
   */
  private async accessChanged(
    agentId: string,
    reason: string,
    reader: EntityManager,
    everything: () => Promise<{ inboxIds: string[]; teamIds: string[] }>,
  ): Promise<void> {
    const room = ROOMS.agent(agentId);
    const agent = await reader.findOneBy(Agent, { id: agentId });
    if (!agent || agent.disabledAt) {
      this.endSessions(room, agent ? 'disabled' : 'removed');
      return;
    }
    const viewer = await readViewer(reader, agent);
    const { teamIds, inboxIds } = viewer;
    const rooms = viewerRooms(viewer);
    const all = await everything();
    const stale = possibleViewerRooms(agentId, all.inboxIds, all.teamIds).filter((r) => !rooms.includes(r));
    if (stale.length) this.emitter.in(room).socketsLeave(stale);
    this.emitter.in(room).socketsJoin(rooms);
    this.emitter.to(room).emit('session.updated', { reason, role: agent.role, teamIds, inboxIds });
  }

  /**
   * The agent's own sockets (every tab, every API process) get the agent as they are now, so a change made by an
   * admin shows in the agent's profile menu without reloading. Read now: of several changes in a batch, the last wins.
   */
  private async agentUpdated(agentId: string, reader: EntityManager): Promise<void> {
    const agent = await reader.findOneBy(Agent, { id: agentId });
    if (!agent) return;
    const inboxes = await inboxesByAgent(reader, [agentId]);
    this.emit('agent.updated', [ROOMS.agent(agentId)], { agent: agentView(agent, inboxes.get(agentId) ?? []) });
  }

  /** Every row the batch's events refer to, in one query per table. */
  private async load(events: DomainEvent[], reader: EntityManager) {
    const messageIds = new Set<string>();
    const conversationIds = new Set<string>();
    const contactIds = new Set<string>();
    for (const e of events) {
      if (e.conversationId) conversationIds.add(e.conversationId);
      if ('messageId' in e.data) messageIds.add(e.data.messageId);
      if (e.type === 'contact.updated' || e.type === 'contact.merged') contactIds.add(e.data.contactId);
    }
    const messages = messageIds.size ? await reader.findBy(Message, { id: In([...messageIds]) }) : [];
    const contacts = contactIds.size ? await reader.findBy(Contact, { id: In([...contactIds]) }) : [];
    const contactConversations = contactIds.size ? await reader.findBy(Conversation, { contactId: In([...contactIds]) }) : [];
    const conversations = conversationIds.size ? await reader.findBy(Conversation, { id: In([...conversationIds]) }) : [];
    // Entries the activity listener (listed first) wrote for this batch, in this same transaction.
    const activities = events.some((e) => e.type.startsWith('conversation.'))
      ? await reader.findBy(ConversationActivity, { eventId: In(events.map((e) => e.id)) })
      : [];
    const identities = contactIds.size ? await reader.find(ContactIdentity, { where: { contactId: In([...contactIds]) }, order: { createdAt: 'ASC' } }) : [];
    return {
      messages: new Map(messages.map((m) => [m.id, m])),
      conversations: new Map(conversations.map((c) => [c.id, c])),
      contacts: new Map(contacts.map((c) => [c.id, c])),
      activities: new Map(activities.map((a) => [String(a.eventId), a])),
      conversationsOf: (contactId: string) => contactConversations.filter((c) => c.contactId === contactId),
      identitiesOf: (contactId: string) => identities.filter((i) => i.contactId === contactId),
    };
  }

  private emit(event: RealtimeEvent, rooms: string[], payload: unknown): void {
    this.emitter.to(rooms).emit(event, payload);
  }
}

/** The one Redis key namespace socket.io's adapter and emitter share. */
export function socketKey(prefix: string): string {
  return `${prefix}:socket.io`;
}
