// Package paging parses page and sort requests and takes pages from ordered
// collections, in the three styles of the API families ambit speaks:
//
//   - Ambari offsets: page_size, from=<n>|start and to=<n>|end, zero-based,
//     with itemTotal (the number of matches before paging) in the response.
//   - Sahara markers: limit and marker (the id of the last item of the
//     previous page), with markers.prev and markers.next in the response.
//   - ambit page tokens (an extension): an opaque page_token, returned as
//     next_page_token, that resumes exactly after the last item returned.
//     Tokens are signed (HMAC), bound to the query that produced them,
//     expire, and carry a snapshot id so that a store can serve every page
//     of one listing from one consistent state.
//
// All three share one sort specification, from Ambari's
// sortBy=Hosts/cpu_count.desc,Hosts/host_name or Sahara's
// sort_by=-created_at,name. The caller appends the resource's key
// properties to every item's Key, so the order is total and pages never
// overlap or skip: absent values sort first ascending and last descending,
// numbers numerically, strings byte-wise, and keys are compared value by
// value, never as one concatenated string.
//
// [Parse] reads the parameters into a [Request]. [Apply] takes the page
// from a [Source]: a store implements Source with its indexes so that
// markers and tokens seek instead of scanning, and [Slice] implements it
// for a sorted slice. [TopK] sorts only as much as a page needs.
//
// Bad parameters are a *ParamError naming the parameter and its value: a
// page_size that is not an integer, a limit that is not positive, a bad
// sort direction, styles mixed, a marker that names nothing, a token that is
// malformed, foreign or expired.
//
// One departure from Sahara: Sahara's next marker on a page that ends
// exactly at the last item leads to an empty page; here next is null on the
// last page.
package paging
