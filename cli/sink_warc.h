/*
 * sink_warc.h - --warc-file: the archive sink (see sink_warc.c), and the
 * taps of transfers that are no job's (robots.txt).
 */
#ifndef GF_SINK_WARC_H
#define GF_SINK_WARC_H

#include "config.h"
#include "record.h"
#include "sink.h"
#include "writer.h"

/* Records written on writer's thread. NULL with a message in err when
 * FILE (or its CDX) cannot be written. */
struct sink *sink_warc_new(const struct gf_config *cfg, struct writer *writer,
			   char *err, size_t errlen);

/* A tap for a transfer of no job; sink_warc_side_end() writes its records
 * once it is over (rec: its record) and frees it. */
struct gf_tap *sink_warc_side(struct sink *s);
void sink_warc_side_end(struct sink *s, struct gf_tap *tap, const struct gf_record *rec);

#endif
