#!/usr/bin/env node
'use strict'
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js')
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js')
const { z } = require('zod')

const server = new McpServer({ name: 'deploys', version: '1.0.0' })

server.tool('deploy_service', 'Deploy a service to production', { service: z.string() }, async ({ service }) => {
  return { content: [{ type: 'text', text: `deployed ${service}` }] }
})

server.connect(new StdioServerTransport())
