/* shape.h - parsing the values of the geometry options (pure) */
#ifndef MDADM_SHAPE_H
#define MDADM_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

/* "raid1", "1", "mirror", "linear", ... -> md level number. Levels this
 * mdadm does not create (multipath, faulty, container) are refused. */
int shape_parse_level(const char *s, int *level, struct diag *d);

/* Layout names for the level: raid5/6 algorithms, raid10 nN/fN/oN, raid0
 * original/alternate. */
int shape_parse_layout(int level, const char *s, uint32_t *layout, struct diag *d);
uint32_t shape_default_layout(int level);

/* Is the word a layout of some level? (Checked before the level is known.) */
bool shape_layout_known(const char *s);
/* Every layout word, by level, for messages. */
const char *shape_layout_choices(void);

/* A size with an optional K/M/G/T suffix (default KiB) -> sectors. */
int shape_parse_size(const char *s, uint64_t *sectors, struct diag *d);

/* Chunk size: power of two, at least 4 KiB -> sectors. */
int shape_parse_chunk(const char *s, uint64_t *sectors, struct diag *d);

/* 32 hex digits, any of ":.- " as separators -> 16 bytes. */
int shape_parse_uuid(const char *s, uint8_t uuid[16], struct diag *d);

/* --logical-block-size: decimal bytes, a power of two, 512 .. 65536. */
int shape_parse_lbs(const char *s, uint32_t *lbs, struct diag *d);

/* --metadata: 1, 1.0, 1.1, 1.2, default -> minor; 0.90 (also 0, 0.9) ->
 * SHAPE_METADATA_090. Names of formats this mdadm does not write (ddf,
 * imsm, mbr, gpt) fail with EOPNOTSUPP, anything else with EINVAL. */
#define SHAPE_METADATA_090 90
int shape_parse_metadata(const char *s, int *minor, struct diag *d);

#endif
