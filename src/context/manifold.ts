import type { ManifoldRecord } from '../types/records.js';

/** A feature spec (schemas/manifold.schema.json). Unknown fields are kept by readers and by merge. */
export type Manifold = ManifoldRecord;
export type ManifoldConstraint = NonNullable<Manifold['constraints']>[number];
export type ManifoldFailureMode = NonNullable<Manifold['failure_modes']>[number];
