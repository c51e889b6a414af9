import { FeedbackItem } from '../../../feedback/item.ts'
import { entity, when } from '../entity.ts'
import { keys } from '../keys.ts'

const feedback = entity('feedback', FeedbackItem, {
  key: (of: { sessionId: string }) => keys.feedback(of.sessionId),
})

/** Feedback on a session (`SESSION#<id>`, `FEEDBACK`): one per session, the default `put` refuses a second. */
export const Feedback = {
  ...feedback,
  /** There is feedback and its comment is still text: erasing it again changes nothing. */
  hasComment: when('attribute_exists(pk) AND attribute_type(#comment, :string)', { ':string': 'S' }),
}
