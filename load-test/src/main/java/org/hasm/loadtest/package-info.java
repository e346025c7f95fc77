/**
 * The load generator against the central system (DESIGN section 1.3). Not built yet: the load-test issue brings it.
 */
package org.hasm.loadtest;
