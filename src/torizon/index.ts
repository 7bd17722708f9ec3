import { start } from '../shared/action.js'
import { run } from './main.js'

await start('torizon-publish', run)
