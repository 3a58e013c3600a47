"""What a convolution case is: ConvConfig, dtypes and their rounding, argument validation, error bounds, the
family predicates (classify) and a certification row's identity (record).  Depends on `oracle` alone."""
