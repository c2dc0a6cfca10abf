/* md_ioctl.h - access to an md device node where sysfs cannot do the job
 *
 * Today only the exclusive-open probe --stop makes before it asks sysfs
 * to stop an array: an O_EXCL open fails with EBUSY while the device is
 * mounted or claimed by another driver (a stacked array, device-mapper),
 * which sysfs does not say directly. No md ioctl is needed yet: the
 * kernel's descriptor numbers come from /proc/mdstat and everything else
 * from sysfs. */
#ifndef MDADM_MD_IOCTL_H
#define MDADM_MD_IOCTL_H

/* Open `node` read-only with O_EXCL and close it again. Returns 0, or the
 * errno of the failed open (EBUSY: someone holds the device). */
int md_probe_exclusive(const char *node);

#endif
