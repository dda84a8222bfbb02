import { spawn } from 'child_process'
import { govern } from '@governor/sdk'

export function run(cmd, args) {
  const child = govern(spawn)(cmd, args, { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', resolve))
}

export const fetchJson = async (url) => (await govern(fetch)(url)).json()
