/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libgannet: craft, dissect, show and store packets the way Scapy does. */
#ifndef GANNET_GANNET_H
#define GANNET_GANNET_H

#include <gannet/core.h>
#include <gannet/field.h>
#include <gannet/proto.h>
#include <gannet/packet.h>
#include <gannet/expr.h>
#include <gannet/output.h>
#include <gannet/pcap.h>
#include <gannet/netlink.h>
#include <gannet/io.h>
#include <gannet/xdp.h>
#include <gannet/sender.h>
#include <gannet/match.h>
#include <gannet/sr.h>
#include <gannet/resolve.h>
#include <gannet/arpwatch.h>

#define GN_VERSION "0.1.0"

#endif
