import type { Job } from 'bullmq';
import type { AutoReplyJob } from '../queues/queues';
import type { CustomerMessageReplies } from './customer-message-replies';

/** `customer-message`: decide and write the automatic answer to one customer message (if any). */
export function autoReplyProcessor(replies: CustomerMessageReplies) {
  return async (job: Job<AutoReplyJob>): Promise<void> => {
    await replies.handle(job.data.conversationId, job.data.messageId);
  };
}
