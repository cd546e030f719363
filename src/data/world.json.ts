// The world's countries for the report maps (world-atlas 1:110m, with ISO alpha-2 codes).
import {worldCountries} from "../../loaders/site/world.ts";

process.stdout.write(JSON.stringify(await worldCountries()));
