/*
 * NAME
 *	mf_event 3h
 * SUMMARY
 *	the milter's "message" event, one per finished message
 * SYNOPSIS
 *	#include "mf_event.h"
 * DESCRIPTION
 *	mf_event_format() writes the "message" event of docs/events.md for
 *	a message whose end of data was answered: queue id, face,
 *	direction, client, sender, login, recipients, size, outcome, the
 *	rules it hit (each once), scanner verdicts, the disclaimer result
 *	and whether an archive copy was added.  The policy service's
 *	decisions for the message are its own "decision" events with the
 *	same queue id (gatepostctl report joins them).  Pure.
 *	mf_event_message() formats and writes it when JSON events are in
 *	force (log(3h)).
 * SEE ALSO
 *	docs/events.md, decide(3h)
 */
#ifndef GP_MF_EVENT_H
#define GP_MF_EVENT_H

#include <time.h>

#include "mf_ctx.h"
#include "sbuf.h"

void	mf_event_format(struct sbuf *, time_t, const char *daemon,
	    const struct mf_conn *, const struct mf_msg *);
void	mf_event_message(const struct mf_conn *, const struct mf_msg *);

#endif
