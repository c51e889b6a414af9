import { ProgramTopicItem } from '../../../topic/item.ts'
import { entity, exists } from '../entity.ts'
import { keys } from '../keys.ts'

const programTopic = entity('programTopic', ProgramTopicItem, {
  key: (of: { topic: string }) => keys.programTopic(of.topic),
})

/** Topics programs added (`TOPIC#<topic>`): recorded with the program, checked when a mentor names one. */
export const ProgramTopic = {
  ...programTopic,
  /** Records `topic` for `programId` (whoever listed it before): never refused. */
  record: (topic: string, programId: string, at: string) =>
    programTopic.put({ entity: 'programTopic', version: 1, topic, programId, updatedAt: at }, { when: null }),
  /** Some program lists `topic`: a mentor may name it as a skill. */
  known: (topic: string) => programTopic.check({ topic }, exists),
}
