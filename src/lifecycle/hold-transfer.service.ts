import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Viewer } from '../auth/access-policy';
import type { AutoReplyService } from '../auto-replies/auto-reply.service';
import { Agent, Conversation, Team } from '../database/entities';
import { conflict, invalid } from '../errors/domain-errors';
import { recordEvents } from '../events/outbox';
import type { MessageService } from '../messages/message.service';

const customerText = z.string().trim().min(1).max(4096);

export const holdSchema = z.object({
  notifyCustomer: z
    .boolean()
    .default(true)
    .meta({ description: 'Tell the customer. Without `text`, the inbox’s hold message in their language (marked automatic).' }),
  text: customerText.optional().meta({ description: 'The agent’s own words instead of the hold message (sent as their reply).' }),
});

export const transferSchema = z
  .object({
    agentId: z.uuid().optional().meta({ description: 'The agent who takes the conversation over.' }),
    teamId: z.uuid().optional().meta({ description: 'The team: alone, the conversation is unassigned and routed to the team’s members.' }),
    note: z
      .string()
      .trim()
      .max(4000)
      .optional()
      .meta({ description: 'For the receiving side only (the agent, or the team’s members, and admins): never sent to the customer.' }),
    customerMessage: customerText.optional().meta({ description: 'Optionally, what the customer is told (sent as the agent’s reply).' }),
  })
  .refine((v) => v.agentId || v.teamId, { message: 'transfer to an agent or a team', path: ['agentId'] });

/**
 * Contact-centre practice: hold (the customer hears "one moment") and transfer (to a colleague or a team, with
 * a note for them alone). Each is one transaction with its event and the customer's message, queued after the
 * commit; the activity entry is written by the activity listener from the event.
 */
export class HoldTransferService {
  constructor(
    private readonly ds: DataSource,
    private readonly messages: MessageService,
    private readonly autoReplies: AutoReplyService,
  ) {}

  async hold(viewer: Viewer, conversation: Conversation, input: z.infer<typeof holdSchema>): Promise<Conversation> {
    if (input.notifyCustomer && input.text) await this.messages.checkReply(conversation, input.text);
    const { saved, messageId } = await this.ds.transaction(async (m) => {
      const c = await this.lockOpen(m, conversation.id, 'put on hold');
      let messageId: string | null = null;
      if (input.notifyCustomer) {
        messageId = input.text ? await this.messages.writeReply(m, viewer.id, c, input.text) : await this.autoReplies.write(m, c, 'hold', {});
      }
      await recordEvents(m, [{ type: 'conversation.held', conversationId: c.id, data: { byAgentId: viewer.id, customerMessageId: messageId } }]);
      return { saved: c, messageId };
    });
    if (messageId) await this.messages.enqueue([messageId]);
    return saved;
  }

  async transfer(viewer: Viewer, conversation: Conversation, input: z.infer<typeof transferSchema>): Promise<Conversation> {
    if (input.agentId) {
      const agent = await this.ds.getRepository(Agent).findOneBy({ id: input.agentId });
      if (!agent || agent.disabledAt) throw invalid('no active agent with this id');
    }
    if (input.teamId && !(await this.ds.getRepository(Team).existsBy({ id: input.teamId }))) throw invalid('no team with this id');
    if (input.customerMessage) await this.messages.checkReply(conversation, input.customerMessage);
    const { saved, messageId } = await this.ds.transaction(async (m) => {
      const c = await this.lockOpen(m, conversation.id, 'transferred');
      const previous = { assigneeId: c.assigneeId, teamId: c.teamId };
      if (input.agentId && input.agentId === c.assigneeId && (!input.teamId || input.teamId === c.teamId))
        throw conflict('the conversation is already with this agent');
      if (!input.agentId && input.teamId === c.teamId && c.assigneeId === null) throw conflict('the conversation already waits for this team');
      if (input.teamId) c.teamId = input.teamId;
      // To an agent: theirs now. To a team alone: unassigned, and routing gives it to one of the team (a listener).
      c.assigneeId = input.agentId ?? null;
      c.assignedAt = input.agentId ? new Date() : c.assignedAt;
      c.waitingSince = null;
      const saved = await m.save(Conversation, c);
      const messageId = input.customerMessage ? await this.messages.writeReply(m, viewer.id, c, input.customerMessage) : null;
      await recordEvents(m, [
        {
          type: 'conversation.assigned',
          conversationId: c.id,
          data: {
            assigneeId: c.assigneeId,
            previousAssigneeId: previous.assigneeId,
            teamId: c.teamId,
            previousTeamId: previous.teamId,
            byAgentId: viewer.id,
            transfer: { note: input.note || null, customerMessageId: messageId },
          },
        },
      ]);
      return { saved, messageId };
    });
    if (messageId) await this.messages.enqueue([messageId]);
    return saved;
  }

  private async lockOpen(m: EntityManager, id: string, action: string): Promise<Conversation> {
    const c = await m.findOneOrFail(Conversation, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (c.status === 'resolved') throw conflict(`a resolved conversation cannot be ${action}: reopen it first`);
    return c;
  }
}
