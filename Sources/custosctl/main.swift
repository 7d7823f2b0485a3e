print("custosctl")
