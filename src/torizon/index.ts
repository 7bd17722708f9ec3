import { start } from '../shared/run.js'
import { torizon } from './main.js'

await start(torizon)
