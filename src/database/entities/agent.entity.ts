import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AgentRole = 'admin' | 'agent';
export type Availability = 'online' | 'busy' | 'offline';

@Entity('agents')
export class Agent {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Stored lower-cased; unique. */
  @Column({ type: 'varchar', length: 320, unique: true }) email: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ type: 'varchar', length: 8, default: 'agent' }) role: AgentRole;
  @Column({ type: 'varchar', length: 8, default: 'offline' }) availability: Availability;
  /** How many open conversations automatic assignment may give this agent. */
  @Column({ type: 'integer', default: 10 }) capacity: number;
  @Column({ name: 'last_assigned_at', type: 'timestamptz', nullable: true }) lastAssignedAt: Date | null;
  /** Set when all the agent's browser sockets have been gone for a while: routing passes them over. */
  @Column({ name: 'away_since', type: 'timestamptz', nullable: true }) awaySince: Date | null;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
