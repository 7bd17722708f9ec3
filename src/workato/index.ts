import { start } from '../shared/run.js'
import { workato } from './main.js'

await start(workato)
