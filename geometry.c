/* geometry.c - where everything goes on a new member (pure, no I/O) */
#include "bitmap.h"
#include "geometry.h"
#include "llbitmap.h"

#define SECTORS_PER_MIB 2048u
#define MAX_HEADROOM    (128u * SECTORS_PER_MIB)   /* 128 MiB for reshapes */
#define CLASSIC_MIN_CHUNK 4096u
#define CLASSIC_DEFAULT_CHUNK (64u << 20)

static uint64_t round_up(uint64_t x, uint64_t m)
{
	return (x + m - 1) / m * m;
}

/* Room for a classic bitmap, by member size (as mdadm 4.6 sizes it):
 * 4 KiB, 64 KiB above 8 GiB, 128 KiB above 200 GiB. */
static uint64_t classic_room(uint64_t dev_sectors)
{
	if (dev_sectors < 128)
		return 0;
	if (dev_sectors - 128 >= 200ULL * SECTORS_PER_MIB * 1024)
		return 256;
	if (dev_sectors - 8 > 8ULL * SECTORS_PER_MIB * 1024)
		return 128;
	return 8;
}

int geometry_classic_chunk(uint64_t sync_sectors, uint64_t room, uint64_t asked,
			   uint64_t *chunk, struct diag *d)
{
	uint64_t max_bits, min_chunk = CLASSIC_MIN_CHUNK, bits;

	if (room > 256 && !asked)
		room = 256;
	if (room * 512 <= BITMAP_SB_SIZE)
		return diag_fail(d, "no room for a bitmap");
	max_bits = (room * 512 - BITMAP_SB_SIZE) * 8;
	bits = sync_sectors * 512 / min_chunk + 1;
	while (bits > max_bits) {
		min_chunk *= 2;
		bits = (bits + 1) / 2;
	}
	if (asked && asked < min_chunk)
		return diag_fail(d, "bitmap chunk size %llu is too small for this array (at least %llu bytes)",
				 (unsigned long long)asked, (unsigned long long)min_chunk);
	*chunk = asked ? asked : (min_chunk < CLASSIC_DEFAULT_CHUNK ? CLASSIC_DEFAULT_CHUNK : min_chunk);
	return 0;
}

/* raid10 as the kernel's raid10_size(): whole chunks, the far copies
 * taken from each device, then the near copies across devices. */
static uint64_t raid10_sectors(unsigned raid_disks, uint32_t layout,
			       uint64_t chunk_sectors, uint64_t size)
{
	unsigned near = layout & 0xff, far = (layout >> 8) & 0xff;
	uint64_t unit = chunk_sectors ? chunk_sectors : 1;

	if (!near || !far)
		return 0;
	return size / unit / far * raid_disks / near * unit;
}

uint64_t geometry_array_sectors(int level, unsigned raid_disks, uint32_t layout,
				uint64_t chunk_sectors, uint64_t size)
{
	switch (level) {
	case -1:
	case 0:
		return size * raid_disks;
	case 1:
		return size;
	case 4:
	case 5:
		return raid_disks > 1 ? size * (raid_disks - 1) : 0;
	case 6:
		return raid_disks > 2 ? size * (raid_disks - 2) : 0;
	case 10:
		return raid10_sectors(raid_disks, layout, chunk_sectors, size);
	default:
		return 0;
	}
}

/* Headroom for future reshapes: up to 128 MiB, about 0.1% of the member,
 * never less than two md chunks while halving. */
static uint64_t headroom(uint64_t dev_sectors, uint64_t chunk_sectors)
{
	uint64_t h = MAX_HEADROOM;

	while ((h << 10) > dev_sectors && (chunk_sectors == 0 || h / 2 >= chunk_sectors * 2))
		h >>= 1;
	return h;
}

/* Metadata between the superblock and the data (1.1/1.2), in sectors from
 * the superblock: the 4 KiB superblock, the bitmap, the bad-block log. */
static void plan_front_bitmap(const struct geometry_request *rq, struct geometry *g,
			      uint64_t classic_room_sectors)
{
	g->bitmap_offset = 8;
	switch (rq->bitmap) {
	case BITMAP_KIND_LOCKLESS:
		g->bitmap_sectors = bitmap_llb_extent(BITMAP_LLB_SPACE_SECTORS);
		break;
	case BITMAP_KIND_CLASSIC:
		g->bitmap_sectors = bitmap_classic_extent(g->bitmap_sync_size, g->classic_chunk_bytes);
		break;
	default:
		g->bitmap_sectors = classic_room_sectors;
		break;
	}
	g->bblog_offset = (int32_t)(g->bitmap_offset + g->bitmap_sectors);
	g->bblog_size = GEOM_BBLOG_SECTORS;
}

static int plan_front(const struct geometry_request *rq, struct geometry *g,
		      uint64_t room, struct diag *d)
{
	uint64_t sb = rq->minor == 2 ? 8 : 0;
	uint64_t need;

	plan_front_bitmap(rq, g, room);
	need = sb + (uint64_t)g->bblog_offset + g->bblog_size;
	if (rq->data_offset == GEOM_UNSET) {
		uint64_t meta = sb + 24 > need ? sb + 24 : need;

		if (rq->bitmap != BITMAP_KIND_LOCKLESS && meta < 24 + room)
			meta = 24 + room;
		g->data_offset = round_up(meta + headroom(rq->smallest_member, rq->chunk_sectors),
					  SECTORS_PER_MIB);
	} else {
		g->data_offset = rq->data_offset;
	}
	if (g->data_offset < need) {
		if (rq->bitmap == BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "data offset %llu sectors leaves no room for the lockless bitmap (it needs sectors %llu-%llu) and the bad-block log: use at least %llu sectors",
					 (unsigned long long)g->data_offset,
					 (unsigned long long)(sb + (uint64_t)g->bitmap_offset),
					 (unsigned long long)(sb + (uint64_t)g->bblog_offset - 1),
					 (unsigned long long)need);
		if (g->data_offset < sb + 8 + (rq->bitmap ? g->bitmap_sectors : 0))
			return diag_fail(d, "data offset %llu sectors leaves no room for the metadata (at least %llu sectors)",
					 (unsigned long long)g->data_offset,
					 (unsigned long long)(sb + 8 + g->bitmap_sectors));
		g->bblog_offset = 0;     /* no room for a bad-block log */
		g->bblog_size = 0;
	}
	if (rq->smallest_member <= g->data_offset)
		return diag_fail(d, "a member of %llu sectors is too small for a data offset of %llu sectors",
				 (unsigned long long)rq->smallest_member,
				 (unsigned long long)g->data_offset);
	return 0;
}

/* 1.0: data first, then bad-block log, bitmap and superblock at the end. */
static uint64_t end_super_offset(uint64_t dev_sectors)
{
	return (dev_sectors - 16) & ~7ULL;
}

static int plan_end(const struct geometry_request *rq, struct geometry *g,
		    uint64_t room, struct diag *d)
{
	if (rq->bitmap == BITMAP_KIND_LOCKLESS)
		return diag_fail(d, "the lockless bitmap needs metadata 1.1 or 1.2: with 1.0 the kernel sizes it from its offset and its state bytes could reach the superblock");
	g->data_offset = rq->data_offset == GEOM_UNSET ? 0 : rq->data_offset;
	if (rq->bitmap == BITMAP_KIND_CLASSIC) {
		g->bitmap_sectors = bitmap_classic_extent(g->bitmap_sync_size, g->classic_chunk_bytes);
		g->bitmap_offset = -(int32_t)(g->bitmap_sectors + GEOM_BBLOG_SECTORS);
	} else {
		g->bitmap_sectors = room;
	}
	g->bblog_offset = -(int32_t)GEOM_BBLOG_SECTORS;
	g->bblog_size = GEOM_BBLOG_SECTORS;
	(void)d;
	return 0;
}

static uint64_t sb090_offset(uint64_t dev_sectors)
{
	return dev_sectors < 128 ? 0 : (dev_sectors & ~127ull) - 128;
}

/* 0.90: data from sector 0, nothing but the superblock (and its bitmap)
 * after it; sizes in whole KiB */
static int plan_090(const struct geometry_request *rq, struct geometry *g, struct diag *d)
{
	if (rq->bitmap == BITMAP_KIND_LOCKLESS)
		return diag_fail(d, "the lockless bitmap needs version 1 metadata (1.1 or 1.2): the kernel's llbitmap cannot run with 0.90");
	if (rq->data_offset != GEOM_UNSET && rq->data_offset != 0)
		return diag_fail(d, "0.90 metadata has no data offset: its data starts at sector 0");
	g->data_offset = 0;
	g->bitmap_offset = GEOM_090_BITMAP_OFFSET;
	g->bitmap_sectors = GEOM_090_BITMAP_ROOM;
	return 0;
}

static uint64_t metadata_tail(const struct geometry *g)
{
	return g->bitmap_sectors + GEOM_BBLOG_SECTORS;
}

static uint64_t max_component(const struct geometry_request *rq, const struct geometry *g,
			      uint64_t dev_sectors)
{
	if (rq->minor == GEOM_METADATA_090)
		return sb090_offset(dev_sectors);
	if (rq->minor == 0) {
		uint64_t sbo = end_super_offset(dev_sectors);

		return sbo > metadata_tail(g) + g->data_offset ? sbo - metadata_tail(g) - g->data_offset : 0;
	}
	return dev_sectors > g->data_offset ? dev_sectors - g->data_offset : 0;
}

static uint64_t round_size(const struct geometry_request *rq, uint64_t size)
{
	uint64_t unit = rq->chunk_sectors ? rq->chunk_sectors : 128; /* 64 KiB */

	return size / unit * unit;
}

int geometry_plan(const struct geometry_request *rq, struct geometry *g,
		  struct diag *d)
{
	/* no room for a later bitmap where the level cannot have one (as
	 * mdadm 4.6: its raid0/linear arrays have no size to size it from) */
	uint64_t room = bitmap_kind_level_allows(rq->level) ? classic_room(rq->smallest_member) : 0;
	uint64_t avail;

	*g = (struct geometry){ 0 };
	if (rq->smallest_member < 64)
		return diag_fail(d, "members of %llu sectors are too small for md",
				 (unsigned long long)rq->smallest_member);
	if (rq->bitmap != BITMAP_KIND_NONE && !bitmap_kind_level_allows(rq->level))
		return diag_fail(d, "bitmaps are not meaningful with this level (no redundancy to resync)");
	/* first guess of the component size to size the bitmap; refined below */
	g->size = rq->smallest_member;
	for (int pass = 0; pass < 2; pass++) {
		g->bitmap_sync_size = rq->level == 10 ?
			geometry_array_sectors(rq->level, rq->raid_disks, rq->layout,
					       rq->chunk_sectors, g->size) : g->size;
		if (rq->bitmap == BITMAP_KIND_CLASSIC &&
		    geometry_classic_chunk(g->bitmap_sync_size,
					   rq->minor == GEOM_METADATA_090 ? GEOM_090_BITMAP_ROOM : room,
					   rq->classic_chunk_bytes, &g->classic_chunk_bytes, d))
			return -1;
		if ((rq->minor == GEOM_METADATA_090 ? plan_090(rq, g, d) :
		     rq->minor == 0 ? plan_end(rq, g, room, d) : plan_front(rq, g, room, d)) != 0)
			return -1;
		avail = round_size(rq, max_component(rq, g, rq->smallest_member));
		if (avail == 0)
			return diag_fail(d, "members of %llu sectors leave no room for data",
					 (unsigned long long)rq->smallest_member);
		if (rq->size != GEOM_UNSET) {
			if (rq->size > avail)
				return diag_fail(d, "--size %llu KiB does not fit: at most %llu KiB per member",
						 (unsigned long long)(rq->size / 2),
						 (unsigned long long)(avail / 2));
			g->size = round_size(rq, rq->size);
			if (g->size == 0)
				return diag_fail(d, "--size is smaller than one chunk");
		} else {
			g->size = avail;
		}
	}
	if (rq->minor == GEOM_METADATA_090 && rq->level >= 1 && g->size > GEOM_090_MAX_SECTORS)
		return diag_fail(d, "0.90 metadata records at most %llu KiB (4 TiB) of each member for raid levels 1 and above: use metadata 1.x, or --size",
				 (unsigned long long)(GEOM_090_MAX_SECTORS / 2));
	if (rq->bitmap == BITMAP_KIND_LOCKLESS) {
		g->llb_space = BITMAP_LLB_SPACE_SECTORS;
		g->llb_chunk_sectors = llb_initial_chunk_sectors(g->bitmap_sync_size, g->llb_space);
	}
	return 0;
}

int geometry_member(const struct geometry_request *rq, const struct geometry *g,
		    uint64_t dev_sectors, struct member_geometry *mg,
		    struct diag *d)
{
	if (rq->minor == GEOM_METADATA_090) {
		mg->super_offset = sb090_offset(dev_sectors);
		if (mg->super_offset < g->size)
			return diag_fail(d, "member of %llu sectors is too small",
					 (unsigned long long)dev_sectors);
		mg->data_size = mg->super_offset;
		return 0;
	}
	if (rq->minor == 0) {
		mg->super_offset = end_super_offset(dev_sectors);
		if (mg->super_offset < metadata_tail(g) + g->data_offset + g->size)
			return diag_fail(d, "member of %llu sectors is too small",
					 (unsigned long long)dev_sectors);
		mg->data_size = mg->super_offset - metadata_tail(g) - g->data_offset;
	} else {
		mg->super_offset = rq->minor == 2 ? 8 : 0;
		if (dev_sectors < g->data_offset + g->size)
			return diag_fail(d, "member of %llu sectors is too small",
					 (unsigned long long)dev_sectors);
		mg->data_size = dev_sectors - g->data_offset;
	}
	return 0;
}
