import { RealtimeAgent, tool } from '@openai/agents/realtime'
import { z } from 'zod'
import { governTool } from '@governor/sdk'

const lookupBooking = tool({
  name: 'lookup_booking',
  description: 'Look up a booking by its reference',
  parameters: z.object({ reference: z.string() }),
  execute: governTool({ tool: 'lookup_booking', action: 'read', resource: { type: 'database', name: 'booking' } }, async ({ reference }) => `booking ${reference}`)
})

export const agent = new RealtimeAgent({ name: 'Concierge', tools: [lookupBooking] })
