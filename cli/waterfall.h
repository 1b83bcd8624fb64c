/*
 * waterfall.h - --waterfall FILE: a picture of every transfer's phases
 * along a time axis, an SVG with no scripts and no external files,
 * written when the run ends (waterfall.c).
 */
#ifndef GF_WATERFALL_H
#define GF_WATERFALL_H

#include <stddef.h>

#include "config.h"
#include "sink.h"

/* The sink that draws it; NULL with a message in err when FILE cannot be
 * written (the run stops before it starts). */
struct sink *sink_waterfall_new(const struct gf_config *cfg, char *err, size_t errlen);

#endif
