import type { EventType } from '@app/contracts';
import type { SagaDefinition } from '../domain/engine';
import { damaged } from './damaged';
import { lateDelivery } from './late-delivery';
import { lost } from './lost';
import { qualityIssue } from './quality-issue';
import { wrongItem } from './wrong-item';

/** The saga type for each return event. A case keeps the version it started under. */
export const sagaDefinitions: Partial<Record<EventType, SagaDefinition>> = {
  DAMAGED: damaged as SagaDefinition,
  WRONG_ITEM: wrongItem as SagaDefinition,
  LOST: lost as SagaDefinition,
  QUALITY_ISSUE: qualityIssue as SagaDefinition,
  LATE_DELIVERY: lateDelivery as SagaDefinition,
};

export function definitionFor(eventType: string): SagaDefinition | undefined {
  return sagaDefinitions[eventType as EventType];
}
