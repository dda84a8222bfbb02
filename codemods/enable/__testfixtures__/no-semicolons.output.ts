import '@governor/sdk/register'
import { Agent } from '@openai/agents'

const agent = new Agent({ name: 'helper', instructions: 'help' })
console.log(agent.name)
