/* fuzz_geometry.c - libFuzzer target for the layout planner (geometry.c)
 *
 * The input bytes are a geometry_request as --create could build it: the
 * metadata version, bitmap kind and level from small tables (plus raw
 * levels), any raid_disks and layout, a power-of-two chunk (or none),
 * member sizes a block device can have (below 2^64 bytes), and a data
 * offset, --size and --bitmap-chunk that are given or left to the planner.
 * A failed plan must say why. A plan must place every area inside the
 * member without overlaps (superblock, bitmap, bad-block log, data), give
 * the bitmap room for every chunk of what it covers, and fit every member
 * at least as large as the smallest one. Any violation aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "geometry.h"
#include "llbitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8 | (in->n ? *in->p : 0);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

/* device sizes in sectors whose byte count fits 64 bits */
#define MAX_DEV_SECTORS (UINT64_MAX >> 9)

static void read_request(struct input *in, struct geometry_request *rq)
{
	static const int minors[] = { 0, 1, 2, GEOM_METADATA_090 };
	static const int levels[] = { -1, 0, 1, 4, 5, 6, 10 };
	uint8_t sel = (uint8_t)take(in, 1);
	uint8_t lv = (uint8_t)take(in, 1);
	unsigned chunk_shift = (unsigned)take(in, 1) % 40;

	memset(rq, 0, sizeof(*rq));
	rq->minor = minors[sel & 3];
	rq->bitmap = (enum bitmap_kind)(((sel >> 2) & 3) % 3);   /* none, classic, lockless */
	rq->level = lv < 0xf0 ? levels[lv % 7] : (int)(int8_t)lv;
	rq->raid_disks = (unsigned)take(in, 2);
	rq->layout = (uint32_t)take(in, 4);
	rq->chunk_sectors = chunk_shift < 3 ? 0 : UINT64_C(1) << chunk_shift;
	rq->smallest_member = take(in, 8) & MAX_DEV_SECTORS;
	rq->data_offset = sel & 0x20 ? take(in, 8) & MAX_DEV_SECTORS : GEOM_UNSET;
	rq->size = sel & 0x40 ? take(in, 8) & MAX_DEV_SECTORS : GEOM_UNSET;
	rq->classic_chunk_bytes = sel & 0x80 ? take(in, 8) : 0;
}

static void check_bitmap_room(const struct geometry_request *rq, const struct geometry *g)
{
	if (rq->bitmap == BITMAP_KIND_CLASSIC) {
		uint64_t bits, bytes;

		if (g->classic_chunk_bytes == 0)
			abort();
		bits = g->bitmap_sync_size * 512 / g->classic_chunk_bytes + 1;
		bytes = (bits + 7) / 8 + BITMAP_SB_SIZE;
		if (bytes > g->bitmap_sectors * 512)
			abort();
		if (rq->minor == GEOM_METADATA_090 && g->bitmap_sectors > GEOM_090_BITMAP_ROOM)
			abort();
	}
	if (rq->bitmap == BITMAP_KIND_LOCKLESS) {
		if (g->llb_chunk_sectors == 0 || g->llb_space == 0)
			abort();
		if ((g->bitmap_sync_size + g->llb_chunk_sectors - 1) / g->llb_chunk_sectors >
		    llb_max_chunks(g->llb_space))
			abort();
		if (g->bitmap_sectors * 512 < LLBITMAP_DATA_OFFSET + (uint64_t)g->llb_space * 512)
			abort();
	}
}

/* 1.1/1.2: superblock, bitmap and bad-block log all before the data */
static void check_front(const struct geometry_request *rq, const struct geometry *g,
			const struct member_geometry *mg)
{
	uint64_t sb = mg->super_offset;

	if (sb + 8 > g->data_offset || g->bitmap_offset < 8)
		abort();
	if (rq->bitmap != BITMAP_KIND_NONE &&
	    sb + (uint64_t)g->bitmap_offset + g->bitmap_sectors > g->data_offset)
		abort();
	if (g->bblog_size) {
		if (g->bblog_offset < g->bitmap_offset + (int64_t)(rq->bitmap ? g->bitmap_sectors : 0))
			abort();
		if (sb + (uint64_t)g->bblog_offset + g->bblog_size > g->data_offset)
			abort();
	}
}

/* 1.0: the data, then the bad-block log and bitmap, the superblock last */
static void check_end(const struct geometry_request *rq, const struct geometry *g,
		      const struct member_geometry *mg, uint64_t dev)
{
	uint64_t data_end = g->data_offset + g->size;

	if (mg->super_offset + 16 > dev || mg->super_offset % 8)
		abort();
	if (g->bblog_offset >= 0 || mg->super_offset < (uint64_t)-(int64_t)g->bblog_offset ||
	    mg->super_offset - (uint64_t)-(int64_t)g->bblog_offset < data_end)
		abort();
	if (rq->bitmap != BITMAP_KIND_NONE) {
		uint64_t back = (uint64_t)-(int64_t)g->bitmap_offset;

		if (g->bitmap_offset >= 0 || mg->super_offset < back ||
		    mg->super_offset - back < data_end ||
		    mg->super_offset - back + g->bitmap_sectors > mg->super_offset -
		    (uint64_t)-(int64_t)g->bblog_offset)
			abort();
	}
}

static void check_member(const struct geometry_request *rq, const struct geometry *g,
			 uint64_t dev)
{
	struct member_geometry mg;
	struct diag d;

	d.msg[0] = '\0';
	if (geometry_member(rq, g, dev, &mg, &d) != 0)
		abort();                /* the plan was made for this size */
	if (mg.data_size < g->size)
		abort();
	if (rq->minor == GEOM_METADATA_090) {
		if (mg.super_offset + 128 > dev || mg.super_offset % 128 || g->data_offset ||
		    g->size > mg.super_offset)
			abort();
	} else if (rq->minor == 0) {
		check_end(rq, g, &mg, dev);
	} else {
		if (g->data_offset + g->size > dev || mg.super_offset != (rq->minor == 2 ? 8u : 0u))
			abort();
		check_front(rq, g, &mg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct geometry_request rq;
	struct geometry g;
	struct diag d;
	uint64_t bigger, unit;

	read_request(&in, &rq);
	bigger = take(&in, 8) & MAX_DEV_SECTORS;
	d.msg[0] = '\0';
	if (geometry_plan(&rq, &g, &d) != 0) {
		if (d.msg[0] == '\0')
			abort();
		return 0;
	}
	unit = rq.chunk_sectors ? rq.chunk_sectors : 128;
	if (g.size == 0 || g.size % unit || (rq.size != GEOM_UNSET && g.size > rq.size))
		abort();
	if (rq.data_offset != GEOM_UNSET && g.data_offset != rq.data_offset)
		abort();
	check_bitmap_room(&rq, &g);
	check_member(&rq, &g, rq.smallest_member);
	if (bigger > rq.smallest_member)
		check_member(&rq, &g, bigger);
	(void)geometry_array_sectors(rq.level, rq.raid_disks, rq.layout, rq.chunk_sectors, g.size);
	return 0;
}
